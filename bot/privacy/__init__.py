"""What Nightlight does not keep: a full postcode is cut to its district before anything stores it
(postcodes.py), and "delete my data" reaches Rasa's tracker store too (forget.py)."""
