#!/bin/bash
# The production install, proved on a fresh Debian 12: debootstrap a bookworm minbase, follow
# deploy/install.sh inside it (no systemd, its own network namespace), start the services the
# way the unit files say, and check the instance over HTTPS. Prints PASS/FAIL per check and
# exits non-zero when one fails. Run as root on a Debian host; see bench/ops/README.md.
#
#   bash bench/ops/install_in_chroot.sh            # full run (~10 min the first time)
#   NAIKKELAS_CHROOT_KEEP=1 bash bench/ops/...     # keep the chroot afterwards to look around
set -euo pipefail

CHECKOUT=${NAIKKELAS_CHECKOUT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WORK=${NAIKKELAS_CHROOT_WORK:-/var/tmp/naikkelas-chroot}
ROOT=$WORK/root
TARBALL=$WORK/bookworm-minbase.tgz
WHEELHOUSE=$WORK/wheelhouse
APT_ARCHIVES=$WORK/apt-archives
DOMAIN=naikkelas.test
SUITE=bookworm

log() { printf '\n\033[1m--- %s\033[0m\n' "$*"; }
now() { date +%s; }

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }

# The Debian mirror apt uses on this host (deb822 or one-line format).
mirror() {
    local found
    found=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
        /etc/apt/sources.list.d/*.sources | grep -v -- '-security' |
        grep -oE 'https?://[^ ]+/debian/?' | head -1 || true)
    echo "${NAIKKELAS_MIRROR:-${found:-http://deb.debian.org/debian}}"
}
MIRROR=$(mirror)

declare -A TIMES
T0=$(now)

log "host tools (debootstrap)"
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
mkdir -p "$WORK" "$APT_ARCHIVES/partial" "$WHEELHOUSE"

log "Debian $SUITE minbase from $MIRROR"
t=$(now)
if [ ! -s "$TARBALL" ]; then
    debootstrap --variant=minbase --make-tarball="$TARBALL" "$SUITE" "$WORK/tarball-build" "$MIRROR"
    rm -rf "$WORK/tarball-build"
fi
if [ -d "$ROOT" ]; then
    # a kept chroot of an earlier run; its mounts lived in a namespace that is gone
    if grep -q " $ROOT/" /proc/mounts; then
        echo "mounts left under $ROOT; unmount them first" >&2
        exit 2
    fi
    rm -rf "$ROOT"
fi
debootstrap --variant=minbase --unpack-tarball="$TARBALL" "$SUITE" "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log"; exit 1; }
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb ${MIRROR%/debian*}/debian-security $SUITE-security main
EOF
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
TIMES[debootstrap]=$(($(now) - t))

log "Python wheels for the offline install (host pip, cached in $WHEELHOUSE)"
t=$(now)
SRC=$ROOT/root/naikkelas-src
mkdir -p "$SRC"
# the checkout as it is (tracked and new files, nothing ignored)
(cd "$CHECKOUT" && git ls-files -z --cached --others --exclude-standard |
    tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$SRC"
HOST_PY=$CHECKOUT/.venv/bin/python
[ -x "$HOST_PY" ] || HOST_PY=python3
rm -f "$WHEELHOUSE"/naikkelas-*.whl
cp -a "$SRC" "$WORK/wheel-src"
"$HOST_PY" -m pip wheel -q --wheel-dir "$WHEELHOUSE" "$WORK/wheel-src"
"$HOST_PY" -m pip download -q --dest "$WHEELHOUSE" --only-binary=:all: \
    'setuptools>=77' wheel
rm -rf "$WORK/wheel-src" "$WHEELHOUSE"/naikkelas-*.whl # install.sh builds it from the checkout
cp -a "$WHEELHOUSE" "$ROOT/root/wheelhouse"
TIMES[wheels]=$(($(now) - t))

log "Debian packages for the offline install (apt cache $APT_ARCHIVES)"
t=$(now)
mapfile -t PACKAGES < <(bash "$CHECKOUT/deploy/install.sh" --print-apt-packages)
# shellcheck disable=SC2016 # expanded by the inner bash
unshare --mount --propagation private bash -euo pipefail -c '
    mount --bind "$1/apt-archives" "$2/var/cache/apt/archives"
    mount -t proc proc "$2/proc"
    chroot "$2" apt-get update -q >/dev/null
    chroot "$2" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --download-only \
        --no-install-recommends "${@:3}" >/dev/null
' _ "$WORK" "$ROOT" "${PACKAGES[@]}"
TIMES[apt-download]=$(($(now) - t))

# ------------------------------------------------------------------------------------------
# Inside the namespace: its own loopback (PostgreSQL on 5432, nginx on 80/443 do not meet the
# host's), its own PIDs (everything started dies with it), no network beyond lo.
cat >"$ROOT/root/inside.sh" <<'INSIDE'
#!/bin/bash
set -uo pipefail
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOMAIN=$1
FAILED=0
RESULTS=()
now() { date +%s; }
check() { # NAME STATUS(0=pass, 77=skip) DETAIL
    local word=PASS
    if [ "$2" = 77 ]; then word=SKIP; elif [ "$2" != 0 ]; then word=FAIL; FAILED=1; fi
    RESULTS+=("$(printf '%-4s  %-44s %s' "$word" "$1" "$3")")
    printf '\033[1m%s\033[0m %s — %s\n' "$word" "$1" "$3"
}
curl_https() { curl -sS --max-time 120 --cacert /etc/naikkelas/tls/fullchain.pem \
    --resolve "$DOMAIN:443:127.0.0.1" --resolve "$DOMAIN:80:127.0.0.1" "$@"; }

# 1. the installer, as an operator runs it
t=$(now)
bash /root/naikkelas-src/deploy/install.sh --domain "$DOMAIN" --self-signed \
    --offline --wheelhouse /root/wheelhouse 2>&1 | tee /root/install-1.log
rc=${PIPESTATUS[0]}
check "install.sh (first run)" "$rc" "exit $rc, $(($(now) - t)) s"
[ "$rc" = 0 ] || { printf '%s\n' "${RESULTS[@]}"; exit 1; }

# 2. the system services install.sh started (no systemd here): PostgreSQL and nginx
pg_lsclusters -h | grep -q ' online ' ; check "PostgreSQL running" $? "$(pg_lsclusters -h | awk '{print $1"/"$2" "$4}')"
[ -s /run/nginx.pid ] || nginx
kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; check "nginx running" $? "pid $(cat /run/nginx.pid 2>/dev/null)"

# 3. the two services, started as their unit files say (User, EnvironmentFile, ExecStart)
start_unit() {
    local unit=/etc/systemd/system/$1.service exec user dir
    exec=$(sed -n 's/^ExecStart=//p' "$unit")
    user=$(sed -n 's/^User=//p' "$unit")
    dir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
    env_file=$(sed -n 's/^EnvironmentFile=//p' "$unit")
    # systemd expands ${VAR} from the EnvironmentFile; the shell does the same here
    runuser -u "$user" -- env -i PATH=/usr/bin:/bin HOME="$dir" bash -c \
        "set -a; . '$env_file'; set +a; cd '$dir'; umask 027; exec $exec" \
        >"/var/log/bench-$1.log" 2>&1 &
    echo $!
}
WEB_PID=$(start_unit naikkelas-web)
WORKER_PID=$(start_unit naikkelas-worker)
code=""
for _ in $(seq 90); do
    code=$(curl_https -o /dev/null -w '%{http_code}' "https://$DOMAIN/masuk/" 2>/dev/null)
    [ "$code" = 200 ] && break
    sleep 1
done
check "web service up behind nginx" "$([ "$code" = 200 ]; echo $?)" "GET /masuk/ -> $code"

# 4. /healthz over HTTPS with the certificate made for the domain
body=$(curl_https -w '\n%{http_code}' "https://$DOMAIN/healthz")
code=${body##*$'\n'}; body=${body%$'\n'*}
if [ "$code" = 404 ]; then
    check "GET https://$DOMAIN/healthz" 77 "404: /healthz not in this checkout yet (login page checked instead)"
else
    echo "$body" | python3 -c 'import json,sys; json.load(sys.stdin)' >/dev/null 2>&1
    ok=$?; [ "$code" = 200 ] || ok=1
    check "GET https://$DOMAIN/healthz" "$ok" "HTTP $code ${body:0:160}"
fi

# 5. the login page over HTTPS: secure cookies, HSTS, Django sees https through the proxy
headers=$(curl_https -D - -o /tmp/login.html "https://$DOMAIN/masuk/")
grep -qi '^set-cookie: csrftoken=.*; *secure' <<<"$headers"; s1=$?
grep -qi '^strict-transport-security: max-age=31536000' <<<"$headers"; s2=$?
grep -q 'csrfmiddlewaretoken' /tmp/login.html; s3=$?
check "login page over HTTPS" "$((s1 + s2 + s3))" "Secure csrftoken=$([ $s1 = 0 ] && echo yes || echo no), HSTS=$([ $s2 = 0 ] && echo yes || echo no), form=$([ $s3 = 0 ] && echo yes || echo no)"

# 6. http:// is redirected to https://
loc=$(curl_https -o /dev/null -w '%{http_code} %{redirect_url}' "http://$DOMAIN/masuk/?a=1")
[ "$loc" = "301 https://$DOMAIN/masuk/?a=1" ]; check "HTTP redirects to HTTPS" $? "$loc"

# 7. static files from nginx (1 h cache; WhiteNoise would say max-age=60)
css=$(grep -o '/static/[^"]*\.css' /tmp/login.html | head -1)
headers=$(curl_https -D - -o /dev/null "https://$DOMAIN${css:-/static/missing.css}")
grep -qi '^cache-control: max-age=3600' <<<"$headers" && grep -q ' 200' <<<"$(head -1 <<<"$headers")"
check "static file served by nginx" $? "${css:-no stylesheet link} $(head -1 <<<"$headers" | tr -d '\r')"

# 8. uploads are not served from disk
probe=/var/lib/naikkelas/media/bench-probe.txt
echo secret >"$probe"; chown naikkelas: "$probe"
code=$(curl_https -o /dev/null -w '%{http_code}' "https://$DOMAIN/media/bench-probe.txt")
code2=$(curl_https -o /dev/null -w '%{http_code}' "https://$DOMAIN/static/../media/bench-probe.txt")
rm -f "$probe"
[ "$code" = 404 ] && [ "$code2" != 200 ]; check "media not served by nginx" $? "/media/… -> $code, /static/../media/… -> $code2"

# 9. a 20 MB ODK submission reaches the app (its OpenRosa 401), not nginx's 413
head -c $((20 * 1024 * 1024)) /dev/urandom >/tmp/photo.jpg
printf '<data id="x"/>' >/tmp/instance.xml
resp=$(curl_https -D /tmp/submit.headers -o /tmp/submit.body -w '%{http_code}' \
    -H 'X-OpenRosa-Version: 1.0' -F 'xml_submission_file=@/tmp/instance.xml;type=text/xml' \
    -F 'photo.jpg=@/tmp/photo.jpg;type=image/jpeg' "https://$DOMAIN/odk/submission")
grep -qi '^x-openrosa-version: 1.0' /tmp/submit.headers; s1=$?
# over HTTPS the app offers Basic auth: it saw https through X-Forwarded-Proto
grep -q 'atau HTTPS' /tmp/submit.body; s2=$((1 - $?))
[ "$resp" = 401 ]; check "20 MB ODK POST reaches the app" "$(($? + s1 + s2))" "HTTP $resp, X-OpenRosa-Version=$([ $s1 = 0 ] && echo yes || echo no), seen as https=$([ $s2 = 0 ] && echo yes || echo no)"
resp=$(head -c $((120 * 1024 * 1024)) /dev/zero | curl_https -o /dev/null -w '%{http_code}' \
    -H 'Content-Type: application/octet-stream' --data-binary @- "https://$DOMAIN/odk/submission" 2>/dev/null)
[ "$resp" = 413 ]; check "120 MB POST refused by nginx" $? "HTTP $resp"
rm -f /tmp/photo.jpg

# 10. the ODK device key never reaches nginx's access log
curl_https -o /dev/null "https://$DOMAIN/odk/c/BENCHSECRETKEY123/formList?deviceID=x"
sleep 1
! grep -q 'BENCHSECRETKEY123' /var/log/nginx/naikkelas.access.log
check "device key kept out of the access log" $? "$(grep -c '/odk/c/\*\*\*' /var/log/nginx/naikkelas.access.log) redacted line(s)"

# 11. the first administrator as docs/install.md says, then a sign-in over HTTPS
DJANGO_SUPERUSER_PASSWORD=bench-Admin-2026 naikkelas manage createsuperuser --noinput \
    --username admin --email admin@$DOMAIN >/tmp/admin.log 2>&1 &&
    naikkelas manage shell --no-imports -c "from naikkelas.accounts.models import User; assert User.objects.get(username='admin').role == 'admin'" >>/tmp/admin.log 2>&1
check "first admin created" $? "$(tail -1 /tmp/admin.log)"
jar=/tmp/cookies
rm -f "$jar"
token=$(curl_https -c "$jar" "https://$DOMAIN/masuk/" | grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
resp=$(curl_https -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
    -H "Referer: https://$DOMAIN/masuk/" --data-urlencode "csrfmiddlewaretoken=$token" \
    --data-urlencode username=admin --data-urlencode password=bench-Admin-2026 "https://$DOMAIN/masuk/")
# signed in, the home page leads to the admin's start page and not back to /masuk/
home=$(curl_https -L -b "$jar" -o /dev/null -w '%{http_code} %{url_effective}' "https://$DOMAIN/")
[ "${resp%% *}" = 302 ] && [ "${home%% *}" = 200 ] && [[ "$home" != */masuk/* ]]
check "sign-in over HTTPS (CSRF, secure session)" $? "POST /masuk/ -> $resp; GET / -> $home"

# 12. backups
out=$(naikkelas backup 2>&1); rc=$?
if grep -q NotImplementedError <<<"$out"; then
    check "naikkelas backup" 77 "not implemented in this checkout yet"
else
    n=$(find /var/lib/naikkelas/backups -name 'naikkelas-backup-*' ! -name '*.sha256' | wc -l)
    [ "$rc" = 0 ] && [ "$n" -ge 1 ]; check "naikkelas backup" $? "exit $rc, $n archive(s) in /var/lib/naikkelas/backups"
fi

# 13. the worker keeps running
sleep 3
kill -0 "$WORKER_PID" 2>/dev/null; check "worker running" $? "pid $WORKER_PID; $(tail -1 /var/log/bench-naikkelas-worker.log 2>/dev/null)"

# 14. naikkelas check on the fresh installation
naikkelas check >/tmp/check.txt 2>&1; rc=$?
cat /tmp/check.txt
check "naikkelas check" "$rc" "exit $rc ($(grep -cE '^ *(GALAT|ERROR)' /tmp/check.txt) error lines)"

# 15. a second run repairs/upgrades without touching the secrets, and the app comes back
sum_before=$(sha256sum /etc/naikkelas/naikkelas.env | cut -d' ' -f1)
kill "$WEB_PID" "$WORKER_PID" 2>/dev/null; wait "$WEB_PID" "$WORKER_PID" 2>/dev/null
t=$(now)
bash /root/naikkelas-src/deploy/install.sh --offline --wheelhouse /root/wheelhouse >/root/install-2.log 2>&1
rc=$?
sum_after=$(sha256sum /etc/naikkelas/naikkelas.env | cut -d' ' -f1)
[ "$rc" = 0 ] && [ "$sum_before" = "$sum_after" ]
check "install.sh again (idempotent)" $? "exit $rc, $(($(now) - t)) s, naikkelas.env $([ "$sum_before" = "$sum_after" ] && echo unchanged || echo CHANGED)"
[ "$rc" = 0 ] || tail -30 /root/install-2.log
WEB_PID=$(start_unit naikkelas-web)
for _ in $(seq 90); do
    code=$(curl_https -o /dev/null -w '%{http_code}' "https://$DOMAIN/masuk/" 2>/dev/null)
    [ "$code" = 200 ] && break
    sleep 1
done
check "web up again after the second run" "$([ "$code" = 200 ]; echo $?)" "GET /masuk/ -> $code"

# 16. Let's Encrypt out of reach (no network here): the run says so and exits 1, and the site
# keeps answering over HTTPS with the temporary self-signed certificate
bash /root/naikkelas-src/deploy/install.sh --email admin@example.org --offline \
    --wheelhouse /root/wheelhouse >/root/install-3.log 2>&1
rc=$?
grep -q "Let's Encrypt tidak memberi sertifikat" /root/install-3.log; said=$?
code=$(curl_https -o /dev/null -w '%{http_code}' "https://$DOMAIN/masuk/")
[ "$rc" = 1 ] && [ "$said" = 0 ] && [ "$code" = 200 ]
check "no certificate: reported, site still up" $? "exit $rc, problem listed=$([ $said = 0 ] && echo yes || echo no), GET /masuk/ -> $code"

echo
echo "==== results"
printf '%s\n' "${RESULTS[@]}"
exit "$FAILED"
INSIDE

log "install.sh inside the chroot (own network, mount and PID namespaces)"
t=$(now)
set +e
# shellcheck disable=SC2016 # expanded by the inner bash
unshare --net --mount --pid --fork --propagation private bash -euo pipefail -c '
    ip link set lo up
    mount -t proc proc "$1/proc"
    mount -t sysfs sysfs "$1/sys"
    mount --rbind /dev "$1/dev"
    mount -t tmpfs -o size=256m tmpfs "$1/dev/shm"
    mount -t tmpfs tmpfs "$1/run"
    mount --bind "$2" "$1/var/cache/apt/archives"
    set +e
    # a clean environment, as on a fresh server (nothing of the host: PIP_*, PYTHON*…)
    chroot "$1" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash /root/inside.sh "$3"
' _ "$ROOT" "$APT_ARCHIVES" "$DOMAIN" 2>&1 | tee "$WORK/inside.log"
RC=${PIPESTATUS[0]}
set -e
TIMES[inside]=$(($(now) - t))

log "timings"
for k in debootstrap wheels apt-download inside; do
    printf '  %-14s %4d s\n' "$k" "${TIMES[$k]}"
done
printf '  %-14s %4d s\n' total $(($(now) - T0))
[ -n "${NAIKKELAS_CHROOT_KEEP:-}" ] || rm -rf "$ROOT"
if [ "$RC" = 0 ]; then echo "ALL PASSED"; else echo "FAILED (exit $RC; log $WORK/inside.log)"; fi
exit "$RC"
