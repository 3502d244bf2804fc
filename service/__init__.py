"""datenspiegel.service"""
