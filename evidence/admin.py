"""Evidence in the admin: the evidence models come in their own issue and will be registered here,
writing through their services like everything else in the admin."""
