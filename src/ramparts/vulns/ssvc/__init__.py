"""CISA SSVC deployer decision tree, shipped as data (cisa_tree.json). Pure Python, no Django."""
