"""Board registry, stakeholder groups, policy and the balance dashboard."""
