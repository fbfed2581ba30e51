#!/usr/bin/env bash
# Spark's resource discovery script for the test cluster's workers, which have no GPU: announces one
# "gpu" whose address is $LANCET_FAKE_GPU (a different one per worker on this host), as Spark's own
# tests announce resources. Spark reads the JSON on stdout.
echo "{\"name\": \"gpu\", \"addresses\": [\"${LANCET_FAKE_GPU:-0}\"]}"
