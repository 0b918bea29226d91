"""Use cases: each public function runs one use case and owns its transaction."""
