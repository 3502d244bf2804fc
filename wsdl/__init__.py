"""datenspiegel.wsdl"""
