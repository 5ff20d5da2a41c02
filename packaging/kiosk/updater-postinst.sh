#!/bin/sh
# Part of the kiosk package's postinst: the pvz-kiosk group, the update spool, and the updater's
# path unit enabled (the service itself runs only when the spool holds a request).
set -e
if command -v systemd-sysusers >/dev/null 2>&1; then
    systemd-sysusers /usr/lib/sysusers.d/pvz-kiosk.conf || true
else
    getent group pvz-kiosk >/dev/null || groupadd --system pvz-kiosk
fi
if command -v systemd-tmpfiles >/dev/null 2>&1; then
    systemd-tmpfiles --create /usr/lib/tmpfiles.d/pvz-kiosk.conf || true
else
    install -d -m 2770 -o root -g pvz-kiosk /var/spool/pvz-kiosk-updates
fi
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
    systemctl enable --now pvz-kiosk-updater.path || true
fi
