"""Pure engines of the register (no Django): the risk matrix and the appetite evaluation."""
