"""Uploads a folder of jars into a Ray cluster's GCS as a package for runtime_env java_jars.

Usage: python upload_code.py <ray address> <folder> [<this node's IP>]. Prints the package URI
(gcs://...) last.
Ray's Java API cannot upload packages; its Python packaging does, content-addressed, so an
unchanged folder is not uploaded twice.
"""
import logging
import sys
import tempfile

import ray
import ray._private.services as services
from ray._private.runtime_env.packaging import get_uri_for_directory, upload_package_if_needed

# The driver gives the address its JVM reached; Ray would swap 127.0.0.1 for this machine's first
# interface (where a loopback cluster does not listen).
services.resolve_ip_for_localhost = lambda address: address


def main(address: str, folder: str, node_ip: str) -> None:
    extra = {"_node_ip_address": node_ip} if node_ip else {}
    ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False, configure_logging=False, **extra)
    try:
        uri = get_uri_for_directory(folder)
        with tempfile.TemporaryDirectory() as scratch:
            upload_package_if_needed(uri, scratch, folder, include_parent_dir=False)
    finally:
        ray.shutdown()
    print(uri, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
