"""How a seller's documents look: layout settings and custom templates per channel and document type."""
