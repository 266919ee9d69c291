"""Plan: validated models to a plan (itinerary, checklists, costs); pure, no clock, files or network."""
