#!/bin/sh
# `apt-get update`, made to survive a Debian mirror in mid-sync. A mirror that is
# being synced serves an index whose size does not match its Release file ("File
# has unexpected size ... Mirror sync in progress?") and apt-get update exits 100,
# sometimes for hours for one index (seen: bookworm-security armhf); that must not
# fail a fresh machine's `make check` when the packages it wants are elsewhere.
#
# Tries APT_UPDATE_TRIES times (default 3), waiting 15 s more each time; if every
# try fails it warns and returns 0: apt keeps every list it could fetch (and the
# old copy of the others), and the download or install that follows gives the
# real verdict. Several fetch scripts run in one `make check`: an update done (or
# given up) in the last 30 minutes for the same set of architectures is not
# repeated, so a broken mirror costs its retries once, not once per script.
set -u
stamp=${TMPDIR:-/tmp}/cloison-apt-update.stamp
archs="$(dpkg --print-architecture) $(dpkg --print-foreign-architectures | sort | tr '\n' ' ')"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$archs" ] &&
    [ -n "$(find "$stamp" -mmin -30 2>/dev/null)" ]; then
    exit 0
fi
tries=${APT_UPDATE_TRIES:-3}
n=1
while :; do
    if apt-get update -qq; then
        break
    fi
    if [ "$n" -ge "$tries" ]; then
        echo "apt-update: apt-get update failed $n times; going on with the package lists apt has" >&2
        break
    fi
    wait=$((15 * n))
    echo "apt-update: apt-get update failed (try $n of $tries); again in ${wait} s" >&2
    sleep "$wait"
    n=$((n + 1))
done
echo "$archs" > "$stamp"
