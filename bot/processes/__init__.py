"""The processes behind `nightlight up`: starting and watching them (supervisor.py), training Rasa when its data
changed (training.py), and what they write to the log (logs.py)."""
