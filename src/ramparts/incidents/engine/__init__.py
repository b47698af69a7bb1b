"""Pure engines of the incidents app (no Django): the regulatory notification clocks."""
