"""privatune.privacy"""
