import Frontend
