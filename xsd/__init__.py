"""datenspiegel.xsd"""
