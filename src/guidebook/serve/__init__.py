"""`guidebook serve`: a local web app (My trip, Bookings, Brand) and an HTTP API on the library."""
