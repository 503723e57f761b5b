"""The application floor: the request pipeline every adapter goes through."""
