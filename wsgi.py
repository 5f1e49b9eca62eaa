from prep import create_app

app = create_app()
