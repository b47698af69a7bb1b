"""The policies module's pure parts (no Django): safe Markdown, text diffs, acknowledgement rates."""
