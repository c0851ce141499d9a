"""Orchestration of the csc-warehouse pipeline: settings, steps and the command line."""
