"""privatune.client"""
