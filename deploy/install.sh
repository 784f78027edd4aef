#!/bin/bash
# naikkelas production installer for Debian 12 (bookworm). Run as root.
#
# Safe to run again: a second run upgrades the application to the source it is given and
# repairs packages, directories, units and the nginx site, but never replaces the secrets it
# generated the first time (/etc/naikkelas/naikkelas.env). Steps and choices: docs/install.md.
set -euo pipefail

PREFIX=/opt/naikkelas
VENV=$PREFIX/venv
DATA_DIR=/var/lib/naikkelas
CONF_DIR=/etc/naikkelas
ENV_FILE=$CONF_DIR/naikkelas.env
INSTALL_CONF=$CONF_DIR/install.conf
TLS_DIR=$CONF_DIR/tls
ACME_ROOT=/var/www/letsencrypt
SERVICE_USER=naikkelas
WRAPPER=/usr/local/bin/naikkelas
UNIT_DIR=/etc/systemd/system
NGINX_SITE=/etc/nginx/sites-available/naikkelas.conf
NGINX_LINK=/etc/nginx/sites-enabled/naikkelas.conf
APP_ADDRESS=127.0.0.1:8000
DB_NAME=naikkelas
DB_USER=naikkelas
UNITS=(naikkelas-web.service naikkelas-worker.service naikkelas-backup.service naikkelas-backup.timer)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    cat <<'EOF'
Usage: install.sh --domain NAME (--email ADDRESS | --self-signed | --tls-cert FILE --tls-key FILE)
                  [--database-url URL] [--source PATH] [--wheelhouse DIR] [--offline]
                  [--workers N]
       install.sh --print-apt-packages [--database-url URL]

Installs or upgrades naikkelas on Debian 12: PostgreSQL, the app in /opt/naikkelas (data in
/var/lib/naikkelas, settings in /etc/naikkelas/naikkelas.env), systemd units for the web
server, the worker and the daily backup, nginx with TLS in front. Run again to upgrade or
repair; the choices of the first run are remembered (/etc/naikkelas/install.conf).

  --domain NAME        the host name people and phones use (e.g. umkm.example.go.id)
  --email ADDRESS      get a Let's Encrypt certificate (certbot) with this contact address;
                       DNS for NAME must point here and port 80 must be reachable
  --self-signed        a self-signed certificate instead (tests, intranet): browsers warn and
                       ODK Collect refuses it
  --tls-cert FILE, --tls-key FILE
                       use this certificate (full chain) and key (e.g. from the office's CA)
  --database-url URL   an external PostgreSQL (postgres://user:password@host:5432/name)
                       instead of one on this machine
  --source PATH        install the app from this checkout, wheel or sdist (default: the
                       checkout this script is in)
  --wheelhouse DIR     take Python packages from DIR only (pip --no-index --find-links)
  --offline            no apt-get update, no downloads: packages must be in apt's cache and
                       Python packages in --wheelhouse
  --workers N          gunicorn worker processes on a first install (default 3)
  --print-apt-packages print the Debian packages this install needs, and stop
EOF
}

# ---------------------------------------------------------------------------------------------
# output

STEP=0
PROBLEMS=()
step() { STEP=$((STEP + 1)); printf '\n\033[1m==> [%d] %s\033[0m\n' "$STEP" "$*"; }
say() { printf '    %s\n' "$*"; }
warn() { printf '\033[33m    PERINGATAN: %s\033[0m\n' "$*" >&2; }
die() {
    printf '\033[31minstall.sh: %s\033[0m\n' "$*" >&2
    exit 1
}
problem() {
    PROBLEMS+=("$*")
    warn "$*"
}

# ---------------------------------------------------------------------------------------------
# options

DOMAIN="" EMAIL="" TLS_MODE="" TLS_CERT_SRC="" TLS_KEY_SRC="" DATABASE_URL_ARG=""
SOURCE="" WHEELHOUSE="" OFFLINE=0 WORKERS="" PRINT_PACKAGES=0 DOMAIN_GIVEN=0

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --domain) DOMAIN=${2:?--domain needs a value}; DOMAIN_GIVEN=1; shift 2 ;;
            --email) EMAIL=${2:?--email needs a value}; TLS_MODE=letsencrypt; shift 2 ;;
            --self-signed) TLS_MODE=self-signed; shift ;;
            --tls-cert) TLS_CERT_SRC=${2:?--tls-cert needs a file}; TLS_MODE=custom; shift 2 ;;
            --tls-key) TLS_KEY_SRC=${2:?--tls-key needs a file}; TLS_MODE=custom; shift 2 ;;
            --database-url) DATABASE_URL_ARG=${2:?--database-url needs a value}; shift 2 ;;
            --source) SOURCE=${2:?--source needs a path}; shift 2 ;;
            --wheelhouse) WHEELHOUSE=${2:?--wheelhouse needs a directory}; shift 2 ;;
            --offline) OFFLINE=1; shift ;;
            --workers) WORKERS=${2:?--workers needs a number}; shift 2 ;;
            --print-apt-packages) PRINT_PACKAGES=1; shift ;;
            -h | --help) usage; exit 0 ;;
            *) usage >&2; echo "install.sh: unknown option $1" >&2; exit 2 ;;
        esac
    done
}

# The choices of an earlier run (domain, TLS mode, database mode): a re-run without options
# repairs/upgrades the same installation. Nothing secret is kept here.
load_install_conf() {
    [ -f "$INSTALL_CONF" ] || return 0
    local key value
    while IFS='=' read -r key value; do
        case "$key" in
            DOMAIN) [ -n "$DOMAIN" ] || DOMAIN=$value ;;
            TLS_MODE) [ -n "$TLS_MODE" ] || TLS_MODE=$value ;;
            EMAIL) [ -n "$EMAIL" ] || EMAIL=$value ;;
            DB_MODE) [ -n "$DATABASE_URL_ARG" ] || DB_MODE=$value ;;
        esac
    done <"$INSTALL_CONF"
}

save_install_conf() {
    umask 022
    cat >"$INSTALL_CONF" <<EOF
# The choices deploy/install.sh was run with (no secrets; those are in naikkelas.env).
DOMAIN=$DOMAIN
TLS_MODE=$TLS_MODE
EMAIL=$EMAIL
DB_MODE=$DB_MODE
EOF
}

validate_args() {
    [ -n "$DOMAIN" ] || { usage >&2; die "--domain is needed on the first run"; }
    [[ "$DOMAIN" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$ ]] || die "not a host name: $DOMAIN"
    case "$TLS_MODE" in
        letsencrypt) [ -n "$EMAIL" ] || die "--email is needed for Let's Encrypt" ;;
        self-signed) ;;
        custom)
            [ -r "$TLS_CERT_SRC" ] && [ -r "$TLS_KEY_SRC" ] || [ -f "$TLS_DIR/fullchain.pem" ] ||
                die "--tls-cert and --tls-key must both name readable files"
            ;;
        "") usage >&2; die "choose a certificate: --email ADDRESS, --self-signed or --tls-cert/--tls-key" ;;
    esac
    if [ -n "$WORKERS" ] && ! [[ "$WORKERS" =~ ^[1-9][0-9]?$ ]]; then
        die "--workers must be a number from 1 to 99"
    fi
    if [ "$OFFLINE" = 1 ] && [ -z "$WHEELHOUSE" ]; then
        die "--offline needs --wheelhouse DIR with the Python packages"
    fi
    if [ -n "$WHEELHOUSE" ] && [ ! -d "$WHEELHOUSE" ]; then
        die "no such directory: $WHEELHOUSE"
    fi
}

# ---------------------------------------------------------------------------------------------
# helpers

have_systemd() { [ -d /run/systemd/system ]; }

# TEMPLATE is written to stdout with every @KEY@ replaced by the variable NK_KEY.
render() {
    python3 - "$1" <<'PY'
import os, re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
def value(match):
    key = "NK_" + match.group(1)
    if key not in os.environ:
        sys.exit(f"{path}: no value for @{match.group(1)}@")
    return os.environ[key]
sys.stdout.write(re.sub(r"@([A-Z0-9_]+)@", value, text))
PY
}

# The value of KEY in the env file (as written, quotes kept), or nothing.
env_get() {
    K="$1" awk -F= 'BEGIN { k = ENVIRON["K"] } $1 == k { sub(/^[^=]*=/, ""); v = $0 } END { printf "%s", v }' "$ENV_FILE"
}

# Set KEY=VALUE in the env file: replace the active line, or append one.
env_set() {
    local tmp
    tmp=$(mktemp "$CONF_DIR/.env.XXXXXX")
    K="$1" V="$2" awk -F= '
        BEGIN { k = ENVIRON["K"]; v = ENVIRON["V"]; done = 0 }
        $1 == k { if (!done) print k "=" v; done = 1; next }
        { print }
        END { if (!done) print k "=" v }' "$ENV_FILE" >"$tmp"
    chown root:"$SERVICE_USER" "$tmp"
    chmod 0640 "$tmp"
    mv "$tmp" "$ENV_FILE"
}

# Add KEY=VALUE when the env file has no active KEY line (a repair after a manual edit).
env_default() {
    if ! grep -q "^$1=" "$ENV_FILE"; then
        env_set "$1" "$2"
        say "naikkelas.env: $1 ditambahkan"
    fi
}

random_token() { python3 -c "import secrets, sys; print(secrets.token_urlsafe(int(sys.argv[1])))" "$1"; }
random_hex() { python3 -c "import secrets, sys; print(secrets.token_hex(int(sys.argv[1])))" "$1"; }

# Run the installed naikkelas command as the service user with the installation's settings.
app() { "$WRAPPER" "$@"; }

# ---------------------------------------------------------------------------------------------
# steps

apt_packages() {
    local packages=(python3 python3-venv nginx certbot openssl ca-certificates curl tzdata logrotate)
    if [ "${DB_MODE:-local}" = local ]; then
        packages+=(postgresql postgresql-client)
    else
        packages+=(postgresql-client)
    fi
    printf '%s\n' "${packages[@]}"
}

check_system() {
    [ "$(id -u)" = 0 ] || die "run as root (sudo bash deploy/install.sh ...)"
    if [ -r /etc/os-release ]; then
        # shellcheck disable=SC1091
        . /etc/os-release
        if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
            warn "dibuat untuk Debian 12; sistem ini ${PRETTY_NAME:-tidak dikenal}. Lanjut tanpa jaminan."
        fi
    fi
    if have_systemd; then
        say "systemd aktif: layanan akan diaktifkan dan dijalankan."
    else
        say "systemd tidak berjalan (container/chroot): layanan naikkelas tidak dijalankan otomatis."
    fi
}

install_packages() {
    step "Paket Debian"
    local packages
    mapfile -t packages < <(apt_packages)
    export DEBIAN_FRONTEND=noninteractive
    if [ "$OFFLINE" = 1 ]; then
        say "--offline: tanpa apt-get update; paket diambil dari cache apt."
        apt-get install -y -q --no-install-recommends --no-download "${packages[@]}" >/dev/null
    else
        apt-get update -q >/dev/null
        apt-get install -y -q --no-install-recommends "${packages[@]}" >/dev/null
    fi
    say "terpasang: ${packages[*]}"
}

set_timezone() {
    step "Zona waktu Asia/Jakarta (WIB)"
    if have_systemd && command -v timedatectl >/dev/null; then
        timedatectl set-timezone Asia/Jakarta
    else
        ln -sfn /usr/share/zoneinfo/Asia/Jakarta /etc/localtime
        echo Asia/Jakarta >/etc/timezone
    fi
    say "sekarang: $(date '+%Y-%m-%d %H:%M %Z')"
}

create_user_and_dirs() {
    step "Pengguna sistem '$SERVICE_USER' dan direktori"
    if ! id "$SERVICE_USER" >/dev/null 2>&1; then
        useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "naikkelas service" "$SERVICE_USER"
        say "pengguna $SERVICE_USER dibuat"
    fi
    install -d -m 0755 -o root -g root "$PREFIX"
    install -d -m 0750 -o root -g "$SERVICE_USER" "$CONF_DIR"
    install -d -m 0700 -o root -g root "$TLS_DIR"
    install -d -m 0755 -o root -g root "$ACME_ROOT"
    # The data directory can be entered but not listed by others (nginx reads static/ only);
    # uploads (consent scans!) and backups stay closed to everyone but the service user.
    install -d -m 0711 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR"
    install -d -m 0755 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR/static"
    install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR/media"
    chmod 0750 "$DATA_DIR/media"
    chmod 0711 "$DATA_DIR"
    say "aplikasi $PREFIX, data $DATA_DIR, pengaturan $CONF_DIR"
}

resolve_source() {
    if [ -n "$SOURCE" ]; then
        [ -e "$SOURCE" ] || die "no such source: $SOURCE"
        SOURCE=$(cd "$(dirname "$SOURCE")" && pwd)/$(basename "$SOURCE")
    elif [ -f "$HERE/../pyproject.toml" ]; then
        SOURCE=$(cd "$HERE/.." && pwd)
    elif [ -n "$WHEELHOUSE" ]; then
        SOURCE=naikkelas # the newest in the wheelhouse
    else
        die "no application source: give --source PATH (checkout, wheel or sdist)"
    fi
}

install_app() {
    step "Aplikasi naikkelas di $VENV"
    resolve_source
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
        rm -rf "$VENV"
        python3 -m venv "$VENV"
        say "virtualenv dibuat"
    fi
    local pip=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input -q)
    local index=()
    if [ -n "$WHEELHOUSE" ]; then
        index=(--no-index --find-links "$WHEELHOUSE")
    fi
    local before
    before=$("$VENV/bin/python" -m pip show naikkelas 2>/dev/null | sed -n 's/^Version: //p' || true)
    say "memasang dari $SOURCE …"
    # --upgrade: a newer release replaces the old; a local checkout or file is always rebuilt.
    "${pip[@]}" install --upgrade "${index[@]}" "$SOURCE"
    local after
    after=$("$VENV/bin/python" -m pip show naikkelas | sed -n 's/^Version: //p')
    if [ -n "$before" ]; then
        say "naikkelas $before -> $after"
    else
        say "naikkelas $after terpasang"
    fi
    # The operators' command: settings loaded, run as the service user.
    cat >"$WRAPPER" <<EOF
#!/bin/sh
# naikkelas for operators (installed by deploy/install.sh): this server's settings, run as the
# service user. Use it for every command: naikkelas check, naikkelas backup, naikkelas manage …
set -eu
if [ "\$(id -u)" = 0 ]; then
    set -a; . $ENV_FILE; set +a
    cd $DATA_DIR
    umask 027
    exec runuser -u $SERVICE_USER -- $VENV/bin/naikkelas "\$@"
elif [ "\$(id -un)" = $SERVICE_USER ]; then
    set -a; . $ENV_FILE; set +a
    cd $DATA_DIR
    umask 027
    exec $VENV/bin/naikkelas "\$@"
fi
echo "naikkelas: jalankan sebagai root (sudo naikkelas …) atau sebagai pengguna $SERVICE_USER." >&2
exit 2
EOF
    chmod 0755 "$WRAPPER"
}

write_config() {
    step "Pengaturan $ENV_FILE"
    local database_url
    if [ -f "$ENV_FILE" ]; then
        say "sudah ada: rahasia tidak diubah, yang kurang dilengkapi"
    else
        if [ "$DB_MODE" = external ]; then
            database_url=$DATABASE_URL_ARG
        else
            database_url="postgres://$DB_USER:$(random_hex 24)@127.0.0.1:5432/$DB_NAME"
        fi
        local tmp
        tmp=$(mktemp "$CONF_DIR/.env.XXXXXX")
        NK_DATA_DIR=$DATA_DIR NK_DATABASE_URL=$database_url NK_SECRET_KEY=$(random_token 50) \
            NK_DOMAIN=$DOMAIN NK_WORKERS=${WORKERS:-3} \
            render "$HERE/naikkelas.env.template" >"$tmp"
        chown root:"$SERVICE_USER" "$tmp"
        chmod 0640 "$tmp"
        mv "$tmp" "$ENV_FILE"
        say "dibuat dengan DJANGO_SECRET_KEY dan kata sandi basis data acak"
    fi
    chown root:"$SERVICE_USER" "$ENV_FILE"
    chmod 0640 "$ENV_FILE"
    # repairs: the settings the units and the checks rely on
    env_default NAIKKELAS_DATA_DIR "$DATA_DIR"
    env_default DJANGO_SECRET_KEY "$(random_token 50)"
    env_default DJANGO_BEHIND_PROXY true
    env_default DJANGO_SECURE_COOKIES true
    env_default NAIKKELAS_WEB_WORKERS "${WORKERS:-3}"
    env_default NAIKKELAS_BACKUP_DIR "$DATA_DIR/backups"
    if [ -n "$WORKERS" ]; then
        env_set NAIKKELAS_WEB_WORKERS "$WORKERS"
    fi
    if [ -n "$DATABASE_URL_ARG" ]; then
        env_set DATABASE_URL "$DATABASE_URL_ARG"
    fi
    if [ "$DOMAIN_GIVEN" = 1 ] && [ "$(env_get NAIKKELAS_BASE_URL)" != "https://$DOMAIN" ]; then
        env_set DJANGO_ALLOWED_HOSTS "$DOMAIN"
        env_set DJANGO_CSRF_TRUSTED_ORIGINS "https://$DOMAIN"
        env_set NAIKKELAS_BASE_URL "https://$DOMAIN"
        say "domain: https://$DOMAIN"
    fi
    local backup_dir
    backup_dir=$(env_get NAIKKELAS_BACKUP_DIR)
    install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$backup_dir"
}

setup_database() {
    step "Basis data PostgreSQL"
    if [ "$DB_MODE" = external ]; then
        say "server luar (DATABASE_URL di naikkelas.env); peran dan basis data disiapkan pengelolanya"
        return
    fi
    start_postgresql
    local url password
    url=$(env_get DATABASE_URL)
    password=$(URL=$url python3 -c 'import os, urllib.parse; print(urllib.parse.unquote(urllib.parse.urlsplit(os.environ["URL"]).password or ""))')
    [ -n "$password" ] || die "DATABASE_URL in $ENV_FILE has no password"
    # Idempotent: the role gets the password from naikkelas.env on every run (a repair when
    # the two drifted apart); the database is created once, owned by the role.
    NAIKKELAS_DB_PASSWORD=$password runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres <<SQL
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER') AS need_role \gset
\if :need_role
CREATE ROLE $DB_USER LOGIN;
\endif
\getenv pw NAIKKELAS_DB_PASSWORD
ALTER ROLE $DB_USER WITH LOGIN PASSWORD :'pw';
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DB_NAME') AS need_db \gset
\if :need_db
CREATE DATABASE $DB_NAME OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0
    LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'id-ID';
\endif
SQL
    say "peran $DB_USER dan basis data $DB_NAME siap (127.0.0.1:5432)"
}

start_postgresql() {
    if have_systemd; then
        systemctl enable --now postgresql >/dev/null 2>&1 || systemctl start postgresql
    else
        local version cluster _port status
        if ! pg_lsclusters -h | grep -q .; then
            version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -n | tail -1)
            pg_createcluster "$version" main >/dev/null
        fi
        while read -r version cluster _port status _rest; do
            if [ "$status" != online ]; then
                pg_ctlcluster "$version" "$cluster" start
                say "PostgreSQL $version/$cluster dijalankan (pg_ctlcluster; tanpa systemd)"
            fi
        done < <(pg_lsclusters -h)
    fi
    local tries=0
    until runuser -u postgres -- psql -X -q -d postgres -c 'SELECT 1' >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -lt 30 ] || die "PostgreSQL does not answer"
        sleep 1
    done
}

migrate_and_collect() {
    step "Migrasi, data rujukan dan berkas statis"
    if ! app migrate --plan >/dev/null; then
        die "the database cannot be opened with DATABASE_URL from $ENV_FILE (see the message above)"
    fi
    # A backup first when there is something to migrate in a database with data in it.
    app migrate
    # Reference data, safe to run again: Kemendagri region codes, sectors, the census form
    # for ODK Collect (validated in the project's CI; no Java needed here).
    app manage load_regions
    app manage load_sectors
    app manage census_form --no-validate
    # static files for nginx (readable by it; the rest of the data directory is not)
    (umask 022 && app manage collectstatic --noinput --verbosity 0)
    chmod -R a+rX "$DATA_DIR/static"
    say "berkas statis di $DATA_DIR/static"
}

install_units() {
    step "Layanan systemd"
    local unit changed=0
    for unit in "${UNITS[@]}"; do
        if ! cmp -s "$HERE/systemd/$unit" "$UNIT_DIR/$unit"; then
            install -m 0644 "$HERE/systemd/$unit" "$UNIT_DIR/$unit"
            changed=1
        fi
    done
    # a backup directory outside the data directory must be writable for the backup unit
    local backup_dir dropin=$UNIT_DIR/naikkelas-backup.service.d/backup-dir.conf
    backup_dir=$(env_get NAIKKELAS_BACKUP_DIR)
    if [ -n "$backup_dir" ] && [[ "$backup_dir" != "$DATA_DIR"/* ]]; then
        install -d -m 0755 "$(dirname "$dropin")"
        printf '# written by deploy/install.sh: NAIKKELAS_BACKUP_DIR is outside %s\n[Service]\nReadWritePaths=%s\n' \
            "$DATA_DIR" "$backup_dir" >"$dropin"
        changed=1
    elif [ -f "$dropin" ]; then
        rm -f "$dropin"
        changed=1
    fi
    if have_systemd; then
        [ "$changed" = 0 ] || systemctl daemon-reload
        systemctl enable naikkelas-web.service naikkelas-worker.service naikkelas-backup.timer >/dev/null 2>&1
        say "diaktifkan: naikkelas-web, naikkelas-worker, naikkelas-backup.timer"
    else
        say "unit dipasang di $UNIT_DIR (tanpa systemd: tidak diaktifkan)"
    fi
}

self_signed_certificate() {
    local cert=$TLS_DIR/fullchain.pem key=$TLS_DIR/privkey.pem
    if [ -f "$cert" ] && [ -f "$key" ] && [ -f "$TLS_DIR/self-signed" ] &&
        openssl x509 -in "$cert" -noout -checkend 2592000 >/dev/null &&
        openssl x509 -in "$cert" -noout -checkhost "$DOMAIN" 2>/dev/null | grep -q 'does match'; then
        return
    fi
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -sha256 -subj "/CN=$DOMAIN" \
        -addext "subjectAltName=DNS:$DOMAIN" -keyout "$key.new" -out "$cert.new" 2>/dev/null
    chmod 0600 "$key.new"
    mv "$key.new" "$key"
    mv "$cert.new" "$cert"
    touch "$TLS_DIR/self-signed"
    say "sertifikat self-signed dibuat untuk $DOMAIN ($cert)"
}

# Writes the nginx site for the certificate in $TLS_CERT / $TLS_KEY and reloads nginx.
write_nginx_site() {
    local ipv6="#ipv6 "
    [ -f /proc/net/if_inet6 ] && ipv6=""
    local tmp
    tmp=$(mktemp)
    NK_DOMAIN=$DOMAIN NK_APP_ADDRESS=$APP_ADDRESS NK_DATA_DIR=$DATA_DIR NK_TLS_CERT=$TLS_CERT \
        NK_TLS_KEY=$TLS_KEY NK_ACME_ROOT=$ACME_ROOT render "$HERE/nginx/naikkelas.conf.template" |
        sed "s/^\(\s*\)#ipv6 /\1$ipv6/" >"$tmp"
    install -m 0644 "$tmp" "$NGINX_SITE"
    rm -f "$tmp"
    ln -sfn "$NGINX_SITE" "$NGINX_LINK"
    # Debian's welcome page would answer for unknown host names on port 80
    if [ -L /etc/nginx/sites-enabled/default ]; then
        rm -f /etc/nginx/sites-enabled/default
        say "situs bawaan nginx (default) dinonaktifkan"
    fi
    nginx -t -q || die "nginx refuses the configuration (nginx -t above)"
    reload_nginx
}

reload_nginx() {
    if have_systemd; then
        systemctl enable nginx >/dev/null 2>&1
        systemctl reload-or-restart nginx
    elif [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
        nginx -s reload
    else
        nginx
        say "nginx dijalankan (tanpa systemd)"
    fi
}

setup_nginx_and_tls() {
    step "nginx dan sertifikat TLS ($TLS_MODE)"
    case "$TLS_MODE" in
        self-signed)
            self_signed_certificate
            TLS_CERT=$TLS_DIR/fullchain.pem TLS_KEY=$TLS_DIR/privkey.pem
            write_nginx_site
            warn "sertifikat self-signed: peramban memberi peringatan dan ODK Collect MENOLAKNYA."
            warn "Untuk pemakaian sungguhan jalankan lagi dengan --email ALAMAT (Let's Encrypt)."
            ;;
        custom)
            if [ -n "$TLS_CERT_SRC" ]; then
                install -m 0644 "$TLS_CERT_SRC" "$TLS_DIR/fullchain.pem"
                install -m 0600 "$TLS_KEY_SRC" "$TLS_DIR/privkey.pem"
                rm -f "$TLS_DIR/self-signed"
            fi
            TLS_CERT=$TLS_DIR/fullchain.pem TLS_KEY=$TLS_DIR/privkey.pem
            write_nginx_site
            say "sertifikat dari berkas: $TLS_DIR/fullchain.pem (perpanjang sendiri sebelum kedaluwarsa)"
            ;;
        letsencrypt)
            local live=/etc/letsencrypt/live/$DOMAIN
            if [ ! -f "$live/fullchain.pem" ]; then
                # nginx must answer the HTTP-01 challenge first: serve with a temporary
                # self-signed certificate until Let's Encrypt's is there.
                self_signed_certificate
                TLS_CERT=$TLS_DIR/fullchain.pem TLS_KEY=$TLS_DIR/privkey.pem
                write_nginx_site
                say "meminta sertifikat Let's Encrypt untuk $DOMAIN …"
                if ! certbot certonly --webroot -w "$ACME_ROOT" -d "$DOMAIN" --email "$EMAIL" \
                    --agree-tos --non-interactive --no-eff-email --keep-until-expiring; then
                    problem "Let's Encrypt tidak memberi sertifikat (DNS $DOMAIN ke server ini? port 80 terbuka?). Sementara dipakai sertifikat self-signed; jalankan install.sh lagi setelah diperbaiki."
                    return
                fi
            fi
            # renewals (certbot's own timer) reload nginx to pick up the new certificate
            install -d -m 0755 /etc/letsencrypt/renewal-hooks/deploy
            printf '#!/bin/sh\n# written by naikkelas deploy/install.sh\nnginx -t -q && { systemctl reload nginx 2>/dev/null || nginx -s reload; }\n' \
                >/etc/letsencrypt/renewal-hooks/deploy/naikkelas-nginx-reload
            chmod 0755 /etc/letsencrypt/renewal-hooks/deploy/naikkelas-nginx-reload
            rm -f "$TLS_DIR/self-signed"
            TLS_CERT=$live/fullchain.pem TLS_KEY=$live/privkey.pem
            write_nginx_site
            say "sertifikat Let's Encrypt: $live (diperpanjang otomatis oleh certbot.timer)"
            ;;
    esac
}

start_services() {
    step "Menjalankan layanan"
    if have_systemd; then
        systemctl restart naikkelas-web.service naikkelas-worker.service
        systemctl start naikkelas-backup.timer
        say "naikkelas-web dan naikkelas-worker dijalankan ulang; cadangan harian 02:30 WIB"
    else
        say "Tanpa systemd, jalankan sendiri (sebagai $SERVICE_USER, dengan $ENV_FILE):"
        local unit
        for unit in naikkelas-web.service naikkelas-worker.service; do
            say "  $(sed -n 's/^ExecStart=//p' "$UNIT_DIR/$unit")"
        done
        say "dan setiap hari: $VENV/bin/naikkelas backup"
    fi
}

# The app's health through nginx and TLS, as a browser or phone would reach it.
verify() {
    step "Pemeriksaan"
    local curl_tls=(--cacert "${TLS_CERT}")
    [ "$TLS_MODE" = letsencrypt ] && [ -z "${TLS_CERT##/etc/letsencrypt/*}" ] && curl_tls=()
    if have_systemd; then
        local url="https://$DOMAIN/" tries=0 code=""
        while [ "$tries" -lt 60 ]; do
            code=$(curl -s -o /dev/null -w '%{http_code}' "${curl_tls[@]}" \
                --resolve "$DOMAIN:443:127.0.0.1" "${url}healthz" || true)
            [ "$code" = 200 ] && break
            # /healthz missing in an older release: the login page instead
            if [ "$code" = 404 ]; then
                code=$(curl -s -o /dev/null -w '%{http_code}' "${curl_tls[@]}" \
                    --resolve "$DOMAIN:443:127.0.0.1" "${url}masuk/" || true)
                [ "$code" = 200 ] && break
            fi
            tries=$((tries + 1))
            sleep 1
        done
        if [ "$code" = 200 ]; then
            say "https://$DOMAIN/ menjawab melalui nginx (HTTP $code)"
        else
            problem "https://$DOMAIN/healthz tidak menjawab 200 (terakhir: ${code:-tidak ada}); lihat journalctl -u naikkelas-web"
        fi
    fi
    say "naikkelas check:"
    if ! app check; then
        problem "naikkelas check menemukan galat (lihat di atas)"
    fi
}

summary() {
    printf '\n\033[1mnaikkelas: https://%s/\033[0m\n' "$DOMAIN"
    cat <<EOF
    Langkah berikutnya (docs/install.md):
      1. Akun admin pertama:  naikkelas manage createsuperuser --username admin
      2. Firewall: buka 80 dan 443 saja (ufw allow 80,443/tcp; ufw allow OpenSSH; ufw enable).
      3. Surel (eskalasi kendala, pengingat): isi EMAIL_* di $ENV_FILE.
      4. Cadangan: salin $DATA_DIR/backups ke luar server (docs/backup.md).
    Log: journalctl -u naikkelas-web -u naikkelas-worker; nginx: /var/log/nginx/naikkelas.*.log
EOF
    if [ "${#PROBLEMS[@]}" -gt 0 ]; then
        printf '\n\033[31mBelum selesai (%d masalah):\033[0m\n' "${#PROBLEMS[@]}"
        printf '  - %s\n' "${PROBLEMS[@]}"
        exit 1
    fi
}

main() {
    parse_args "$@"
    DB_MODE=local
    [ -n "$DATABASE_URL_ARG" ] && DB_MODE=external
    if [ "$PRINT_PACKAGES" = 1 ]; then
        apt_packages
        exit 0
    fi
    [ "$(id -u)" = 0 ] || die "run as root (sudo bash deploy/install.sh ...)"
    load_install_conf
    validate_args
    step "Pemeriksaan awal"
    check_system
    install_packages
    set_timezone
    create_user_and_dirs
    save_install_conf
    install_app
    write_config
    setup_database
    migrate_and_collect
    install_units
    setup_nginx_and_tls
    start_services
    verify
    summary
}

# Sourced (the tests load the helper functions): define only; run: install.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
