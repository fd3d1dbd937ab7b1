"""The demo: a believable small brand, and a flash sale on one hot SKU through the service layer."""
