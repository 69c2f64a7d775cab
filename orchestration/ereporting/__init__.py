"""E-reporting (flux 10): transmissions per declarant and period, built from the warehouse,
checked against the official XSD and Annexe 7, written as one XML file each."""
