"""datenspiegel.access"""
