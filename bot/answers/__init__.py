"""Where answers come from and how they are shaped: the Rasa server's client (rasa_client.py), Rasa's output made
into messages with buttons and links for any channel (replies.py), and answers that differ by UK nation
(nations.py, nation_answers.py)."""
