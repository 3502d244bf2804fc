"""datenspiegel.protocol"""
