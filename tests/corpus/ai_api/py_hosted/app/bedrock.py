import boto3

s3 = boto3.client("s3")
runtime = boto3.client("bedrock-runtime", region_name="us-east-1")
