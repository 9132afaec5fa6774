#!/bin/sh
. /app/lib.sh
i=0
while true; do
  i=$((i + 1))
  echo "worker tick $i: processing queue ${QUEUE:-orders}"
  sleep "${INTERVAL:-5}"
done
