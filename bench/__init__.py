"""Benchmarks of Homestack: plan and apply cost, scaling, policy, and Terraform/cdk8s side by side.

Run them all with ``python bench/run_all.py [--quick]``; each module also runs alone.
"""
