import autograph as ag


@ag.function
def huber_loss(a):
    # The seed example from TensorFlow's AutoGraph guide: an `if` on a tensor.
    if ag.abs(a) <= 1.0:
        loss = a * a / 2
    else:
        loss = ag.abs(a) - 0.5
    return loss
