#!/bin/sh
. /app/lib.sh
respond_json '{"orders":[]}'
