"""privatune.kernels"""
