/** Templates the fault matrix deploys. Simulated seconds per step; the sims run 10x real time. */

/** One topic; `label` makes an update, `fail` fails the update with that reason. */
export const TOPIC = (o: { seconds?: number; label?: string; fail?: string; failCreate?: string } = {}): string => `Resources:
  Topic:
    Type: AWS::SNS::Topic
    Metadata:
      Stackwatch:
        Seconds: ${o.seconds ?? 2}${o.fail ? `\n        Fail: "${o.fail}"\n        FailOn: [update]` : ''}${o.failCreate ? `\n        Fail: "${o.failCreate}"\n        FailOn: [create]` : ''}
    Properties:
      DisplayName: ${o.label ?? 'v1'}
`;

/** A Terraform root module with one topic; `label` changes it, `seconds` slows the apply. */
export const GCP_MAIN = (o: { seconds?: number; label?: string } = {}): string => `resource "google_pubsub_topic" "events" {
  # sim: seconds=${o.seconds ?? 2}
  name   = "events"
  labels = { team = "${o.label ?? 'orders'}" }
}

output "topic" {
  value = "events"
}
`;
