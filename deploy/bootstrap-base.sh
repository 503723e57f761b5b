#!/usr/bin/env bash
# Build a Debian bookworm base image with python3 from Debian's own packages,
# for machines that cannot pull from an image registry. Then build factbot on it:
#
#   sudo deploy/bootstrap-base.sh                        # -> localhost/debian-bookworm-python:12
#   podman build --format docker --network host \
#       --build-arg BASE=localhost/debian-bookworm-python:12 -f deploy/Dockerfile -t factbot .
#
# Needs root, debootstrap and podman (apt-get install debootstrap podman).
# Certificate authorities the host added under /usr/local/share/ca-certificates
# (a TLS-inspecting proxy in front of PyPI, say) are added to the image too, so
# that the build can reach PyPI exactly as the host does.
set -euo pipefail
IMAGE=${IMAGE:-localhost/debian-bookworm-python:12}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOTFS=$(mktemp -d /tmp/factbot-rootfs.XXXXXX)
trap 'rm -rf "$ROOTFS"' EXIT

debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$ROOTFS" "$MIRROR"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$ROOTFS/usr/local/share/ca-certificates/"
    chroot "$ROOTFS" update-ca-certificates
fi
chroot "$ROOTFS" apt-get clean
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin
tar -C "$ROOTFS" -c . | podman import --change 'CMD ["/bin/bash"]' - "$IMAGE"
echo "base image: $IMAGE"
