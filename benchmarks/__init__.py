"""Benchmarks run by ``scripts/bench``: our client against the official one, and the emulator.

``suite`` runs the sections and prints the table; ``fixed_server`` is the stand-in service
answering every request with the same 30 s song; ``client_worker`` makes the calls inside a
subprocess of its own, so each client's memory is measured apart; ``emulator`` times the
emulator's synthesis and encoding.
"""
