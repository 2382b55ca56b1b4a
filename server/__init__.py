"""privatune.server"""
