"""Associate brokers: accreditation (the application and the hub lead's checks), the profile and
fees, the public listing, the broker standards. Other features call `app.brokers.services`."""
