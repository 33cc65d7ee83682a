"""Party members: posts (设岗定责), the three links, and quarterly public commitments (公开承诺)."""
