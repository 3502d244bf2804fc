"""datenspiegel.transformers"""
