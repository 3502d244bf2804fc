"""datenspiegel.signing"""
