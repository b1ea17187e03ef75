"""Peer support: the handoff state machine (handoff.py), consent, queue and relay (support.py), supporter accounts
and their command line (supporters.py, supporters_cli.py), and the supporters' web console (console/)."""
