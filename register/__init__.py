"""datenspiegel.register"""
