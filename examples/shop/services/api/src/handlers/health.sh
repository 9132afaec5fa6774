#!/bin/sh
. /app/lib.sh
respond_json '{"ok":true}'
