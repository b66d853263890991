#!/usr/bin/env bash
# config-check.sh NAME FRAGMENT CONFIG: fails unless every line of FRAGMENT (CONFIG_X=v or
# "# CONFIG_X is not set") holds in the final CONFIG. Kconfig silently drops requests whose
# dependencies are unmet, so this is what keeps our fragments honest.
set -euo pipefail
name=$1 frag=$2 cfg=$3
bad=0
while IFS= read -r line; do
  if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
    grep -qxF -- "$line" "$cfg" || { echo "config-check($name): wanted $line, got: $(grep -E "^(# )?${BASH_REMATCH[1]}[= ]" "$cfg" || echo unset)"; bad=1; }
  elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
    ! grep -qE "^${BASH_REMATCH[1]}=" "$cfg" || { echo "config-check($name): wanted ${BASH_REMATCH[1]} off, got: $(grep -E "^${BASH_REMATCH[1]}=" "$cfg")"; bad=1; }
  fi
done < "$frag"
[ $bad = 0 ] && echo "config-check($name): all $(grep -cE '^(CONFIG_|# CONFIG_)' "$frag") requested options hold"
exit $bad
