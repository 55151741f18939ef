"""The Arabic text layer: decoding, the normalized view, segmentation, tokens."""
