"""The rendering floor: every sentence a person reads outside Discord's embeds (text), charts, choices."""
