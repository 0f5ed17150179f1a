#!/usr/bin/env bash
# Installs jflanneld on a bare host (systemd): jar, wrappers (jflanneld, jflanctl), unit, example env file,
# docker drop-in.
#   deploy/systemd/install.sh [--root DIR] [--with-docker-dropin]     install (DIR: a scratch root, default /)
#   deploy/systemd/install.sh [--root DIR] --uninstall [--release-lease] [--keep-node-state]
#       first `jflanneld cleanup` (with the flags of /etc/jflannel/jflanneld.env: the agent's devices, routes,
#       rules, CNI config, subnet.env and state; --release-lease also its lease in etcd; refused while the agent
#       runs: systemctl disable --now jflanneld first), then what install put there. A --root other than /
#       holds no node state: its cleanup is skipped. --keep-node-state skips it on / too.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
root=/ ; docker=0 ; uninstall=0 ; cleanup=(cleanup) ; keep=0
while (($#)); do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --with-docker-dropin) docker=1; shift ;;
    --uninstall) uninstall=1; shift ;;
    --release-lease) cleanup+=(--release-lease); shift ;;
    --keep-node-state) keep=1; shift ;;
    *) echo "install.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
files=(usr/local/lib/jflannel/jflannel-agent-all.jar usr/local/bin/jflanneld usr/local/bin/jflanctl
       etc/systemd/system/jflanneld.service
       etc/systemd/system/docker.service.d/10-jflannel.conf)
if ((uninstall)); then
  if [[ $(readlink -f "$root") != / ]]; then
    echo "install.sh: --root $root: no node state to clean up (jflanneld cleanup skipped)"
  elif ((keep)); then
    echo "install.sh: --keep-node-state: the agent's devices, rules, files and lease are left"
  elif [[ -x /usr/local/bin/jflanneld ]]; then
    # the agent's own flags, from its env file, as the unit gives them
    ( set -a; [[ -r /etc/jflannel/jflanneld.env ]] && . /etc/jflannel/jflanneld.env; set +a
      exec /usr/local/bin/jflanneld "${cleanup[@]}" ) \
      || { echo "install.sh: jflanneld cleanup failed (above); nothing uninstalled" >&2; exit 1; }
  fi
  for f in "${files[@]}"; do rm -f "$root/$f"; done
  rm -f "$root"/usr/local/lib/jflannel/*.jsa # the class-data archive
  rmdir "$root/usr/local/lib/jflannel" 2>/dev/null || true
  echo "removed jflanneld from $root (kept /etc/jflannel and /var/lib/jflannel)"
  exit 0
fi
jar=$(ls "$top"/agent/target/jflannel-agent-*-all.jar 2>/dev/null | head -n 1)
[[ -n $jar ]] || { echo "install.sh: build the agent first: mvn -B package -DskipTests" >&2; exit 1; }
install -D -m 0644 "$jar" "$root/usr/local/lib/jflannel/jflannel-agent-all.jar"
rm -f "$root"/usr/local/lib/jflannel/jflannel-agent-all-ctl-*.jsa # an earlier release's jflanctl wrote these
# the class-data archive bin/jflanneld and bin/jflanctl map at start, dumped by this host's java for the jar where it
# now lies (both start without it when this fails, e.g. without a java here yet)
java -Xshare:dump -XX:SharedClassListFile="$top/deploy/cds/jflannel.classlist" \
  -XX:SharedArchiveFile="$root/usr/local/lib/jflannel/jflannel-agent-all.jsa" -Xlog:cds=error \
  -cp "$root/usr/local/lib/jflannel/jflannel-agent-all.jar" >/dev/null 2>&1 \
  || echo "install.sh: no class-data archive (jflanneld and jflanctl start without it, a little slower)" >&2
install -D -m 0755 "$top/bin/jflanneld" "$root/usr/local/bin/jflanneld"
install -D -m 0755 "$top/bin/jflanctl" "$root/usr/local/bin/jflanctl"
install -D -m 0644 "$here/jflanneld.service" "$root/etc/systemd/system/jflanneld.service"
[[ -e $root/etc/jflannel/jflanneld.env ]] || install -D -m 0600 "$here/jflanneld.env" "$root/etc/jflannel/jflanneld.env"
if ((docker)); then
  install -D -m 0644 "$here/docker.service.d/10-jflannel.conf" "$root/etc/systemd/system/docker.service.d/10-jflannel.conf"
fi
echo "installed into $root; then: systemctl daemon-reload && systemctl enable --now jflanneld"
