"""Build a set of targets: fingerprints, manifest, parallel runner, watch."""
