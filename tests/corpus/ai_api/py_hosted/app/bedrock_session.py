import boto3

session = boto3.Session(profile_name="dev")
client = session.client(service_name="bedrock-runtime")
