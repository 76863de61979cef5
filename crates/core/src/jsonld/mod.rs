//! JSON-LD 1.1 → RDF → RDFC-1.0 for the Verifiable Credentials profile (placeholder; being written).
