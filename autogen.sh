#!/bin/sh
# Make the generated build files of a fresh clone.
set -e
cd "$(dirname "$0")"
autoreconf -fi
